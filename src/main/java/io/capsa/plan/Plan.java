package io.capsa.plan;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the helper is to do, step by step. Each step carries the sentence that names it in an error
 * line ("mount proc on /proc"), so a failure reported as (step, errno) reads as plain English.
 */
public final class Plan {
    public record Step(Op op, String description, List<String> args) {}

    private final List<Step> steps = new ArrayList<>();

    public Plan add(Op op, String description, Object... args) {
        List<String> strings = new ArrayList<>(args.length);
        for (Object a : args) strings.add(String.valueOf(a));
        steps.add(new Step(op, description, List.copyOf(strings)));
        return this;
    }

    public Plan add(Op op, String description, List<String> args) {
        steps.add(new Step(op, description, List.copyOf(args)));
        return this;
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    public Step step(int index) {
        return steps.get(index);
    }

    /** The wire form: u32 length, then per step u32 op, u32 argc and length-prefixed arguments. */
    public byte[] encode() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Step s : steps) {
            writeInt(body, s.op().code());
            writeInt(body, s.args().size());
            for (String a : s.args()) {
                byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
                writeInt(body, bytes.length);
                body.writeBytes(bytes);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeInt(out, body.size());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static void writeInt(ByteArrayOutputStream out, int value) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array());
    }
}
