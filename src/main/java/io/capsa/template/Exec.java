package io.capsa.template;

import io.capsa.template.Functions.Param;
import io.capsa.template.Functions.Signature;
import io.capsa.template.Node.ActionNode;
import io.capsa.template.Node.BranchNode;
import io.capsa.template.Node.ChainNode;
import io.capsa.template.Node.CommandNode;
import io.capsa.template.Node.DotNode;
import io.capsa.template.Node.FieldNode;
import io.capsa.template.Node.IdentifierNode;
import io.capsa.template.Node.ListNode;
import io.capsa.template.Node.LiteralNode;
import io.capsa.template.Node.LoopControlNode;
import io.capsa.template.Node.PipeNode;
import io.capsa.template.Node.TextNode;
import io.capsa.template.Node.VariableNode;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One execution of a parsed template over one value, as Go's text/template executes it. Values are
 * Java's: Map (of String keys), List, String, Long, Double, Boolean, null, and Values.MISSING.
 *
 * Go also tracks where a value came from: an element of a map or list is typed interface{}, which error
 * messages say ("can't evaluate field X in type interface {}"). The dot of a range body and range
 * variables are such elements; boxed flags keep that for them.
 */
final class Exec {
    private enum Flow { NEXT, BREAK, CONTINUE }

    /** "No final argument": what a command that is not piped into gets. */
    private static final Object NO_FINAL = new Object();

    private final String text;
    private final boolean header;
    private final StringBuilder out;
    private final List<String> varNames = new ArrayList<>();
    private final List<Object> varValues = new ArrayList<>();
    private final List<Boolean> varBoxed = new ArrayList<>();
    private boolean dotBoxed;
    private Node at; // the node being evaluated, named by errors

    Exec(String text, boolean header, StringBuilder out) {
        this.text = text;
        this.header = header;
        this.out = out;
    }

    void run(ListNode root, Object data) {
        Object dot = data == null ? Values.MISSING : data;
        push("$", dot, false);
        walk(dot, root);
    }

    private Flow walk(Object dot, Node node) {
        if (node instanceof TextNode t) {
            out.append(t.text);
        } else if (node instanceof ActionNode a) {
            Object value = pipeline(dot, a.pipe);
            if (a.pipe.decls.isEmpty()) out.append(value == Values.MISSING ? "<no value>" : GoFormat.print(value));
        } else if (node instanceof ListNode l) {
            for (Node n : l.nodes) {
                Flow flow = walk(dot, n);
                if (flow != Flow.NEXT) return flow;
            }
        } else if (node instanceof BranchNode b) {
            return b.keyword.equals("range") ? range(dot, b) : ifOrWith(dot, b);
        } else if (node instanceof LoopControlNode c) {
            return c.isBreak ? Flow.BREAK : Flow.CONTINUE;
        }
        return Flow.NEXT;
    }

    private Flow ifOrWith(Object dot, BranchNode b) {
        int mark = varNames.size();
        try {
            Object value = pipeline(dot, b.pipe);
            if (Values.isTrue(value)) {
                if (!b.keyword.equals("with")) return walk(dot, b.list);
                boolean boxed = dotBoxed;
                dotBoxed = false;
                try {
                    return walk(value, b.list);
                } finally {
                    dotBoxed = boxed;
                }
            }
            return b.elseList == null ? Flow.NEXT : walk(dot, b.elseList);
        } finally {
            pop(mark);
        }
    }

    private Flow range(Object dot, BranchNode r) {
        at = r;
        int mark = varNames.size();
        Object value = pipeline(dot, r.pipe);
        int varsMark = varNames.size();
        boolean boxed = dotBoxed;
        boolean iterated = false;
        try {
            if (value instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    iterated = true;
                    if (iteration(r, (long) i, list.get(i), varsMark) == Flow.BREAK) break;
                }
            } else if (value instanceof Map<?, ?> map) {
                for (String key : GoFormat.sortedKeys(map)) {
                    iterated = true;
                    if (iteration(r, key, map.get(key), varsMark) == Flow.BREAK) break;
                }
            } else if (value != Values.MISSING) {
                throw error("range can't iterate over " + GoFormat.print(value));
            }
        } finally {
            dotBoxed = boxed;
        }
        try {
            return iterated || r.elseList == null ? Flow.NEXT : walk(dot, r.elseList);
        } finally {
            pop(mark);
        }
    }

    /** One pass of a range body: the last declared variable is the element, the first (of two) the index or key. */
    private Flow iteration(BranchNode r, Object index, Object element, int varsMark) {
        int n = r.pipe.decls.size();
        if (n > 0) setTop(varsMark, 1, element, true);
        if (n > 1) setTop(varsMark, 2, index, false);
        dotBoxed = true;
        try {
            Flow flow = walk(element, r.list);
            return flow == Flow.BREAK ? Flow.BREAK : Flow.NEXT;
        } finally {
            pop(varsMark);
        }
    }

    private Object pipeline(Object dot, PipeNode pipe) {
        at = pipe;
        Object value = NO_FINAL;
        for (CommandNode cmd : pipe.commands) {
            value = command(dot, cmd, value);
            if (value == null) value = Values.MISSING; // Go unwraps a nil interface{} to no value
        }
        for (VariableNode v : pipe.decls) {
            if (pipe.assign) set(v.names[0], value);
            else push(v.names[0], value, false);
        }
        return value;
    }

    private Object command(Object dot, CommandNode cmd, Object fin) {
        Node first = cmd.args.get(0);
        if (first instanceof FieldNode f) return field(dot, f, cmd.args, fin);
        if (first instanceof ChainNode c) return chain(dot, c, cmd.args, fin);
        if (first instanceof IdentifierNode fn) return call(dot, fn, cmd, cmd.args, fin);
        if (first instanceof VariableNode v) return variable(dot, v, cmd.args, fin);
        if (first instanceof PipeNode p) {
            notAFunction(cmd.args, fin);
            return pipeline(dot, p);
        }
        at = first;
        notAFunction(cmd.args, fin);
        if (first instanceof DotNode) return dot;
        LiteralNode literal = (LiteralNode) first;
        if (literal.value == null) throw error("nil is not a command");
        return constant(literal);
    }

    private void notAFunction(List<Node> args, Object fin) {
        if (args.size() > 1 || fin != NO_FINAL) throw error("can't give argument to non-function " + args.get(0));
    }

    private Object field(Object dot, FieldNode f, List<Node> args, Object fin) {
        at = f;
        return fieldChain(dot, dot, dotBoxed, f.names, 0, args, fin);
    }

    private Object chain(Object dot, ChainNode c, List<Node> args, Object fin) {
        at = c;
        Object receiver = arg(dot, null, c.node);
        return fieldChain(dot, receiver, false, c.names, 0, args, fin);
    }

    private Object variable(Object dot, VariableNode v, List<Node> args, Object fin) {
        at = v;
        int i = find(v.names[0]);
        if (v.names.length == 1) {
            notAFunction(args, fin);
            return varValues.get(i);
        }
        return fieldChain(dot, varValues.get(i), varBoxed.get(i), v.names, 1, args, fin);
    }

    /**
     * receiver.names[from].names[from+1]...: args (after the command's first word) and fin go to the last
     * field, which must then be a method.
     */
    private Object fieldChain(Object dot, Object receiver, boolean boxed, String[] names, int from, List<Node> args, Object fin) {
        for (int i = from; i < names.length; i++) {
            boolean last = i == names.length - 1;
            receiver = field(receiver, boxed, names[i]);
            if (receiver instanceof Template.Method m) {
                receiver = method(dot, m, names[i], last ? args : List.of(), last ? fin : NO_FINAL);
            } else if (last && (args.size() > 1 || fin != NO_FINAL)) {
                throw error(names[i] + " is not a method but has arguments");
            }
            boxed = true;
        }
        return receiver;
    }

    private Object field(Object receiver, boolean boxed, String name) {
        if (receiver == Values.MISSING) return Values.MISSING;
        if (receiver == null) throw error("nil pointer evaluating interface {}." + name);
        if (receiver instanceof Map<?, ?> map) {
            Object value = map.get(name);
            return value != null || map.containsKey(name) ? value : Values.MISSING;
        }
        throw error("can't evaluate field " + name + " in type " + (boxed ? "interface {}" : GoFormat.typeName(receiver)));
    }

    private Object method(Object dot, Template.Method m, String name, List<Node> args, Object fin) {
        Node node = at;
        List<Object> argv = new ArrayList<>();
        for (int i = 1; i < args.size(); i++) argv.add(arg(dot, Param.ANY, args.get(i)));
        if (fin != NO_FINAL) argv.add(validate(fin, Param.ANY));
        try {
            return m.call(argv);
        } catch (IllegalArgumentException e) {
            at = node;
            throw error("error calling " + name + ": " + e.getMessage());
        }
    }

    /** A function call; cmd is the command it heads (or the bare name as an argument), which its errors quote. */
    private Object call(Object dot, IdentifierNode fn, Node cmd, List<Node> args, Object fin) {
        at = fn;
        String name = fn.name;
        Signature sig = Functions.signature(name, header);
        int given = args.size() - 1;
        int numIn = given + (fin != NO_FINAL ? 1 : 0);
        int fixed = sig.fixed().length;
        if (sig.variadic() != null) {
            if (numIn < fixed) throw error("wrong number of args for " + name + ": want at least " + fixed + " got " + given);
        } else if (numIn != fixed) {
            throw error("wrong number of args for " + name + ": want " + fixed + " got " + numIn);
        }
        if (name.equals("and") || name.equals("or")) return andOr(dot, name.equals("or"), args, fin);
        List<Object> argv = new ArrayList<>(numIn);
        for (int i = 1; i < args.size(); i++) argv.add(arg(dot, i - 1 < fixed ? sig.fixed()[i - 1] : sig.variadic(), args.get(i)));
        if (fin != NO_FINAL) argv.add(validate(fin, numIn - 1 < fixed ? sig.fixed()[numIn - 1] : sig.variadic()));
        try {
            return Functions.call(name, argv, header);
        } catch (Functions.Failure e) {
            at = cmd;
            throw error("error calling " + name + ": " + e.getMessage());
        }
    }

    /** and/or stop at the first argument that decides, and return it rather than a boolean. */
    private Object andOr(Object dot, boolean or, List<Node> args, Object fin) {
        Object v = null;
        for (int i = 1; i < args.size(); i++) {
            v = arg(dot, Param.VALUE, args.get(i));
            if (Values.isTrue(v) == or) return v;
        }
        return fin != NO_FINAL ? fin : v;
    }

    /** An argument's value, checked against the parameter it is for (null: untyped, as Go's evalArg with no type). */
    private Object arg(Object dot, Param param, Node n) {
        at = n;
        if (n instanceof DotNode) return validate(dot, param);
        if (n instanceof FieldNode f) return validate(field(dot, f, List.of(n), NO_FINAL), param);
        if (n instanceof VariableNode v) return validate(variable(dot, v, List.of(n), NO_FINAL), param);
        if (n instanceof PipeNode p) return validate(pipeline(dot, p), param);
        if (n instanceof IdentifierNode fn) return validate(call(dot, fn, fn, List.of(n), NO_FINAL), param);
        if (n instanceof ChainNode c) return validate(chain(dot, c, List.of(n), NO_FINAL), param);
        LiteralNode literal = (LiteralNode) n;
        Object value = literal.value == null ? null : constant(literal);
        if (value == null) {
            if (param == Param.VALUE) return Values.MISSING; // Go's zero reflect.Value
            if (param == Param.STRING || param == Param.INT) throw error("cannot assign nil to " + goName(param));
            return null;
        }
        if (param == Param.STRING && !(value instanceof String)) throw error("expected string; found " + literal);
        if (param == Param.INT) {
            if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 0x1p63) return (long) (double) d; // 2.0 is an integer
            if (!(value instanceof Long)) throw error("expected integer; found " + literal);
        }
        if (param == Param.STRINGS) throw error("can't handle " + literal + " for arg of type []string");
        return value;
    }

    private Object constant(LiteralNode literal) {
        if (literal.value instanceof BigInteger) throw error(literal.text + " overflows int");
        return literal.value;
    }

    /** Go's validateType: a missing value is nil where nil fits, a wrong type an error. */
    private Object validate(Object value, Param param) {
        if (param == null || param == Param.VALUE) return value;
        if (value == Values.MISSING) {
            if (param == Param.ANY || param == Param.STRINGS) return null;
            throw error("invalid value; expected " + goName(param));
        }
        boolean fits = switch (param) {
            case ANY -> true;
            case STRING -> value instanceof String;
            case INT -> value instanceof Long || value instanceof Integer;
            case STRINGS -> value instanceof List<?> l && allStrings(l);
            case VALUE -> true;
        };
        if (!fits) {
            String type = value == null ? "interface {}" : GoFormat.typeName(value);
            throw error("wrong type for value; expected " + goName(param) + "; got " + type);
        }
        return value instanceof Integer i ? (Object) (long) i : value;
    }

    /**
     * Docker's join takes a []string; JSON gives a list of anything, so a list of strings stands in for it.
     */
    private static boolean allStrings(List<?> list) {
        for (Object o : list) if (!(o instanceof String)) return false;
        return true;
    }

    private static String goName(Param param) {
        return switch (param) {
            case VALUE -> "reflect.Value";
            case ANY -> "interface {}";
            case STRING -> "string";
            case INT -> "int";
            case STRINGS -> "[]string";
        };
    }

    // --- variables: a stack, marked at each control structure and popped at its end ---

    private void push(String name, Object value, boolean boxed) {
        varNames.add(name);
        varValues.add(value);
        varBoxed.add(boxed);
    }

    private void pop(int mark) {
        varNames.subList(mark, varNames.size()).clear();
        varValues.subList(mark, varValues.size()).clear();
        varBoxed.subList(mark, varBoxed.size()).clear();
    }

    /** Sets the n-th variable from the top of those declared by a range, below mark. */
    private void setTop(int mark, int n, Object value, boolean boxed) {
        varValues.set(mark - n, value);
        varBoxed.set(mark - n, boxed);
    }

    private void set(String name, Object value) {
        int i = find(name);
        varValues.set(i, value);
        varBoxed.set(i, false);
    }

    private int find(String name) {
        for (int i = varNames.size() - 1; i >= 0; i--) if (varNames.get(i).equals(name)) return i;
        throw error("undefined variable: " + name);
    }

    /** Go's execution error, on one line: template: NAME:LINE:COL: executing "NAME" at <NODE>: MESSAGE. */
    private TemplateException error(String message) {
        int line = 1, lineStart = 0;
        for (int i = 0; i < at.pos && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        String where = "template: :" + line + ":" + (at.pos - lineStart) + ": executing \"\" at <" + at + ">: ";
        return new TemplateException((where + message).replace("\n", "\\n")); // a raw string's newline would break the line
    }
}
