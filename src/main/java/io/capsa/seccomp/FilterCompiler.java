package io.capsa.seccomp;

import io.capsa.spec.SpecException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static io.capsa.seccomp.BpfBuilder.JEQ;
import static io.capsa.seccomp.BpfBuilder.JGE;
import static io.capsa.seccomp.BpfBuilder.JGT;

/**
 * Compiles a profile to the BPF program the kernel runs on each system call, with libseccomp's
 * semantics: one block per architecture, entered when seccomp_data.arch matches (and, on x86-64, the
 * x32 bit); a binary search on the system call number; the rules' argument comparisons; the default
 * action. A system call of an architecture the filter does not cover kills the thread.
 */
final class FilterCompiler {
    private FilterCompiler() {}

    // struct seccomp_data { int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]; }, little-endian
    // on every architecture capsa knows, so an argument's low half comes first.
    private static final int NR = 0, ARCH = 4, ARGS = 16;
    static final int X32_SYSCALL_BIT = 0x40000000;
    static final int BAD_ARCH = 0; // SECCOMP_RET_KILL_THREAD, libseccomp's default for a foreign architecture
    private static final int MAX_INSNS = 4096; // BPF_MAXINSNS

    static byte[] compile(Profile profile, Arch host) {
        BpfBuilder b = new BpfBuilder();
        int next = b.ret(BAD_ARCH);
        for (Arch arch : profile.archesFor(host).reversed()) next = archBlock(b, profile, arch, next);
        if (b.size() > MAX_INSNS)
            throw new SpecException("linux.seccomp: the filter takes " + b.size() + " BPF instructions, more than the kernel's "
                    + MAX_INSNS);
        return b.toBytes();
    }

    /** The numbers from `from` up to the next span: all get ret, or, for one call with conditional rules, those decide. */
    private record Span(long from, int ret, List<Rule> conditional) {}

    private static int archBlock(BpfBuilder b, Profile profile, Arch arch, int otherArch) {
        // Plain loops over arrays, no maps, lambdas or streams: a CLI call runs this in the interpreter, for ~400
        // names and three architectures. The architecture's numbers lie between its lowest and highest (x32's
        // have bit 30 set), so the rules of each number go in a slot of one array, in order.
        int[] numbers = SyscallTable.numbers(arch);
        int lowest = Integer.MAX_VALUE, highest = -1;
        for (int nr : numbers) {
            if (nr == -1) continue;
            lowest = Math.min(lowest, nr);
            highest = Math.max(highest, nr);
        }
        List<List<Rule>> byNumber = new ArrayList<>(Collections.nCopies(highest < 0 ? 0 : highest - lowest + 1, null));
        for (Rule rule : profile.rules()) {
            for (int id : rule.ids()) {
                if (id == -1) continue;
                if (numbers[id] != -1) add(byNumber, numbers[id] - lowest, rule);
                int multiplexed = SyscallTable.multiplexed(id, arch);
                // As in libseccomp, i386's socketcall(SYS_RECV, ...) is a recv too. Not for a rule with
                // conditions, though: they are on recv's arguments, which socketcall only points to
                // (libseccomp compares socketcall's own arguments instead).
                if (multiplexed != 0 && rule.conditions().isEmpty())
                    add(byNumber, (multiplexed >>> 16) - lowest, new Rule(rule.names(), rule.ids(), rule.action(),
                            List.of(new Condition(0, Comparison.EQ, multiplexed & 0xffff, 0))));
            }
        }
        int defaultRet = profile.defaultAction().ret();
        int entry = search(b, spans(byNumber, lowest, defaultRet), defaultRet, arch.wideArgs);
        if (arch == Arch.X86_64) {
            // x32 calls come with x86-64's arch and the x32 bit set; -1 is no call at all (a tracer skipped
            // it) and, as in libseccomp, gets the default action.
            int notX32 = b.jump(JEQ, -1, entry, otherArch);
            b.jump(JGE, X32_SYSCALL_BIT, notX32, entry);
        } else if (arch == Arch.X32) {
            b.jump(JGE, X32_SYSCALL_BIT, entry, otherArch);
        }
        int loadNr = b.load(NR);
        b.jump(JEQ, arch.auditArch, loadNr, otherArch);
        return b.load(ARCH);
    }

    private static void add(List<List<Rule>> byNumber, int slot, Rule rule) {
        List<Rule> rules = byNumber.get(slot);
        if (rules == null) byNumber.set(slot, rules = new ArrayList<>());
        rules.add(rule);
    }

    /**
     * All numbers from 0 up, cut where the treatment changes. Neighbours with the same return share a span,
     * so an allow list costs a comparison per gap in it, not per system call. As in libseccomp, an
     * unconditional rule decides alone (the first, if several). byNumber's slot 0 is number lowest.
     */
    private static List<Span> spans(List<List<Rule>> byNumber, int lowest, int defaultRet) {
        List<Span> spans = new ArrayList<>();
        long covered = 0;
        for (int slot = 0; slot < byNumber.size(); slot++) {
            List<Rule> rules = byNumber.get(slot);
            if (rules == null) continue;
            long nr = lowest + slot; // every number is below 2^31: natural order is the unsigned one
            if (nr > covered) addSpan(spans, new Span(covered, defaultRet, null));
            Rule unconditional = null;
            for (Rule r : rules) {
                if (r.conditions().isEmpty()) {
                    unconditional = r;
                    break;
                }
            }
            addSpan(spans, unconditional != null ? new Span(nr, unconditional.action().ret(), null) : new Span(nr, 0, rules));
            covered = nr + 1;
        }
        addSpan(spans, new Span(covered, defaultRet, null));
        return spans;
    }

    private static void addSpan(List<Span> spans, Span span) {
        boolean sameReturn = !spans.isEmpty() && span.conditional() == null && spans.getLast().conditional() == null
                && spans.getLast().ret() == span.ret();
        if (!sameReturn) spans.add(span);
    }

    /** With the system call number in A: a binary search for its span. */
    private static int search(BpfBuilder b, List<Span> spans, int defaultRet, boolean wide) {
        if (spans.size() == 1) {
            Span span = spans.getFirst();
            return span.conditional() == null ? b.ret(span.ret()) : conditionalRules(b, span.conditional(), defaultRet, wide);
        }
        int mid = spans.size() / 2;
        int upper = search(b, spans.subList(mid, spans.size()), defaultRet, wide);
        int lower = search(b, spans.subList(0, mid), defaultRet, wide);
        return b.jump(JGE, (int) spans.get(mid).from(), upper, lower);
    }

    /** Each rule in the profile's order: the first whose conditions all hold decides, else the default. */
    private static int conditionalRules(BpfBuilder b, List<Rule> rules, int defaultRet, boolean wide) {
        int next = b.ret(defaultRet);
        for (Rule r : rules.reversed()) {
            int match = b.ret(r.action().ret());
            for (Condition c : r.conditions().reversed()) match = condition(b, c, match, next, wide);
            next = match;
        }
        return next;
    }

    private static int condition(BpfBuilder b, Condition c, int pass, int fail, boolean wide) {
        int arg = ARGS + 8 * c.index();
        return switch (c.op()) {
            case EQ -> masked(b, arg, -1L, c.value(), pass, fail, wide);
            case NE -> masked(b, arg, -1L, c.value(), fail, pass, wide);
            case MASKED_EQ -> masked(b, arg, c.value(), c.valueTwo(), pass, fail, wide);
            case GT -> above(b, arg, JGT, c.value(), pass, fail, wide);
            case LE -> above(b, arg, JGT, c.value(), fail, pass, wide);
            case GE -> above(b, arg, JGE, c.value(), pass, fail, wide);
            case LT -> above(b, arg, JGE, c.value(), fail, pass, wide);
        };
    }

    /** (arg & mask) == datum, half by half; on 32-bit ABIs the low half only. */
    private static int masked(BpfBuilder b, int arg, long mask, long datum, int pass, int fail, boolean wide) {
        b.jump(JEQ, (int) datum, pass, fail);
        if ((int) mask != -1) b.and((int) mask);
        int low = b.load(arg);
        if (!wide) return low;
        b.jump(JEQ, (int) (datum >>> 32), low, fail);
        if ((int) (mask >>> 32) != -1) b.and((int) (mask >>> 32));
        return b.load(arg + 4);
    }

    /** arg > value (JGT) or arg >= value (JGE): a greater high half passes, an equal one leaves it to the low half. */
    private static int above(BpfBuilder b, int arg, int op, long value, int pass, int fail, boolean wide) {
        b.jump(op, (int) value, pass, fail);
        int low = b.load(arg);
        if (!wide) return low;
        int highEqual = b.jump(JEQ, (int) (value >>> 32), low, fail);
        b.jump(JGT, (int) (value >>> 32), pass, highEqual);
        return b.load(arg + 4);
    }
}
