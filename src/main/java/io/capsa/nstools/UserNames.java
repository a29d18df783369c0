package io.capsa.nstools;

import io.capsa.linux.FileText;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** uid to user name from /etc/passwd, the number itself for a uid it lacks, as lsns's USER column shows them. */
final class UserNames {
    private final Map<Long, String> names = new HashMap<>();

    UserNames(Path passwd) {
        String text;
        try {
            text = FileText.read(passwd);
        } catch (IOException e) {
            return; // every uid shows as its number
        }
        for (String line : text.split("\n")) {
            String[] f = line.split(":", 4); // name:password:uid:...
            if (f.length < 4) continue;
            try {
                names.putIfAbsent(Long.parseLong(f[2]), f[0]); // the first entry wins, as getpwuid finds it
            } catch (NumberFormatException e) {
                // a malformed line names nobody
            }
        }
    }

    String of(long uid) {
        String name = names.get(uid);
        return name != null ? name : Long.toString(uid);
    }
}
