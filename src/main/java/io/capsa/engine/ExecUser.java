package io.capsa.engine;

import io.capsa.runtime.CapsaException;
import io.capsa.spec.ProcessSpec;
import io.capsa.spec.Quoted;

import java.util.List;

/** exec -u: "uid" or "uid:gid" (numbers); a uid alone keeps gid 0, as Docker does for numeric users. */
final class ExecUser {
    private ExecUser() {}

    static ProcessSpec.User parse(String text, ProcessSpec.User base) {
        String[] parts = text.split(":", 2);
        try {
            long uid = Long.parseLong(parts[0]);
            long gid = parts.length > 1 ? Long.parseLong(parts[1]) : 0;
            if (uid < 0 || gid < 0 || uid > 0xFFFFFFFEL || gid > 0xFFFFFFFEL) throw new NumberFormatException();
            return new ProcessSpec.User(uid, gid, base.umask(), List.of());
        } catch (NumberFormatException e) {
            throw new CapsaException("unable to find user " + Quoted.of(text) + ": exec -u takes uid[:gid] numbers");
        }
    }
}
