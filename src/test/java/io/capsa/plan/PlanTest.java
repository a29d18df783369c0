package io.capsa.plan;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PlanTest {
    @Test
    void encodesLengthPrefixedStepsAsTheHelperReadsThem() {
        byte[] wire = new Plan().add(Op.SETHOSTNAME, "set hostname", "web").add(Op.READY, "ready").encode();
        ByteBuffer b = ByteBuffer.wrap(wire).order(ByteOrder.nativeOrder());
        assertEquals(wire.length - 4, b.getInt());
        assertEquals(Op.SETHOSTNAME.code(), b.getInt());
        assertEquals(1, b.getInt());
        assertEquals(3, b.getInt());
        byte[] arg = new byte[3];
        b.get(arg);
        assertEquals("web", new String(arg, StandardCharsets.UTF_8));
        assertEquals(Op.READY.code(), b.getInt());
        assertEquals(0, b.getInt());
        assertEquals(0, b.remaining());
    }

    @Test
    void opCodesMatchTheHelpersEnum() throws Exception {
        String c = java.nio.file.Files.readString(java.nio.file.Path.of("native/capsa-helper.c"));
        String body = c.substring(c.indexOf("enum op {"), c.indexOf("};", c.indexOf("enum op {")));
        java.util.List<String> names = java.util.Arrays.stream(body.split("\n"))
                .map(String::strip).filter(l -> l.startsWith("OP_"))
                .map(l -> l.replaceAll("^OP_([A-Z_]+).*", "$1")).toList();
        assertEquals(java.util.Arrays.stream(Op.values()).map(Enum::name).toList(), names);
    }
}
