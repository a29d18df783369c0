package io.capsa.image.reference;

import io.capsa.image.Digest;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReferenceTest {
    private static final String SHA = "sha256:" + "ab".repeat(32);

    @Test
    void normalizesAsDocker() {
        String[][] cases = {
                {"busybox", "docker.io/library/busybox:latest"},
                {"busybox:1.36", "docker.io/library/busybox:1.36"},
                {"user/repo", "docker.io/user/repo:latest"},
                {"user/repo:v1.0-rc_2", "docker.io/user/repo:v1.0-rc_2"},
                {"docker.io/busybox", "docker.io/library/busybox:latest"},
                {"index.docker.io/busybox", "docker.io/library/busybox:latest"},
                {"docker.io/library/busybox:x", "docker.io/library/busybox:x"},
                {"quay.io/org/sub/repo:tag", "quay.io/org/sub/repo:tag"},
                {"localhost/x", "localhost/x:latest"},
                {"localhost:5000/x", "localhost:5000/x:latest"},
                {"localhost:5000/a/b:t", "localhost:5000/a/b:t"},
                {"127.0.0.1:5000/test/img:1", "127.0.0.1:5000/test/img:1"},
                {"10.1.2.3/img", "10.1.2.3/img:latest"},
                {"[::1]:5000/img", "[::1]:5000/img:latest"},
                {"Registry.Example.com/img", "Registry.Example.com/img:latest"},
                {"my-registry/img", "docker.io/my-registry/img:latest"},
                {"a_b__c---d/e.f", "docker.io/a_b__c---d/e.f:latest"},
                {"localhost:5000", "docker.io/library/localhost:5000"},
                {"busybox@" + SHA, "docker.io/library/busybox@" + SHA},
                {"busybox:1.36@" + SHA, "docker.io/library/busybox:1.36@" + SHA},
                {"localhost:5000/x@" + SHA, "localhost:5000/x@" + SHA},
                {"x:" + "t".repeat(128), "docker.io/library/x:" + "t".repeat(128)},
        };
        for (String[] c : cases) assertEquals(c[1], Reference.parse(c[0]).toString(), c[0]);
    }

    @Test
    void showsFamiliarNamesAsDocker() {
        String[][] cases = {
                {"busybox", "busybox:latest"},
                {"docker.io/library/busybox:1.36", "busybox:1.36"},
                {"user/repo", "user/repo:latest"},
                {"library/a/b:t", "library/a/b:t"},
                {"localhost:5000/a/b:t", "localhost:5000/a/b:t"},
                {"quay.io/library/x", "quay.io/library/x:latest"},
                {"busybox@" + SHA, "busybox@" + SHA},
        };
        for (String[] c : cases) assertEquals(c[1], Reference.parse(c[0]).familiar(), c[0]);
    }

    @Test
    void splitsIntoParts() {
        Reference r = Reference.parse("localhost:5000/a/b:t@" + SHA);
        assertEquals("localhost:5000", r.domain());
        assertEquals("a/b", r.path());
        assertEquals("t", r.tag());
        assertEquals(Digest.parse(SHA), r.digest());
        assertEquals(SHA, r.manifestReference());
        assertEquals("localhost:5000", r.registryHost());
        assertEquals("registry-1.docker.io", Reference.parse("busybox").registryHost());
        assertEquals("latest", Reference.parse("busybox").manifestReference());
        assertEquals("docker.io/library/busybox", Reference.parse("busybox:1").repository());
        assertEquals("docker.io/library/busybox:2", Reference.parse("busybox:1@" + SHA).withTag("2").toString());
        assertEquals("docker.io/library/busybox:1@" + SHA, Reference.parse("busybox:1").withDigest(Digest.parse(SHA)).toString());
        assertThrows(ReferenceException.class, () -> Reference.parse("busybox").withTag("-bad"));
    }

    @Test
    void refusesMalformedReferencesWithAReason() {
        String[][] cases = {
                {"", "empty"},
                {"Busybox", "must be lowercase"},
                {"user/Repo", "must be lowercase"},
                {"busybox:", "a tag has 1 to 128"},
                {"busybox:-x", "tag \"-x\""},
                {"busybox:a+b", "tag \"a+b\""},
                {"busybox:" + "t".repeat(129), "a tag has 1 to 128"},
                {"a".repeat(250) + "/bbbbbb", "longer than 255"},
                {"busybox@sha256:abc", "needs 64 lowercase hex"},
                {"busybox@sha256:" + "AB".repeat(32), "needs 64 lowercase hex"},
                {"busybox@md5:" + "ab".repeat(16), "unsupported digest algorithm"},
                {"busybox@", "expected algorithm:hex"},
                {"ab".repeat(32), "image ID"},
                {"-busybox", "component \"-busybox\""},
                {"busybox-", "component \"busybox-\""},
                {"a..b/c", "bad registry host name"},
                {"a//b", "component \"\""},
                {"busybox/", "component \"\""},
                {"a___b", "component \"a___b\""},
                {"localhost:99999/x", "bad port"},
                {"localhost:/x", "bad port"},
                {"-host.com/x", "bad registry host name"},
                {"[zz]:5000/x", "bad IPv6"},
                {"my image", "component \"my image\""},
        };
        for (String[] c : cases) {
            ReferenceException e = assertThrows(ReferenceException.class, () -> Reference.parse(c[0]), c[0]);
            assertTrue(e.getMessage().startsWith("invalid reference format \"" + c[0] + "\": "), e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
    }
}
