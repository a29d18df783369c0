package io.capsa.spec;

/**
 * User input as error messages echo it. An error is one line, so a newline or other control character
 * in an id, a path or a flag's value is escaped, and a long value is cut: a 10 MB cgroupsPath must not
 * make a 10 MB error line.
 */
public final class Quoted {
    private Quoted() {}

    private static final int MAX_VALUE = 100;
    /** A message made of several cut values and some text stays well below this. */
    private static final int MAX_LINE = 4096;

    /** The value in double quotes, escaped as a JSON string is, and cut after 100 characters. */
    public static String of(String value) {
        if (value.length() <= MAX_VALUE) return JsonWriter.quote(value);
        return JsonWriter.quote(value.substring(0, MAX_VALUE)) + "... (" + value.length() + " characters)";
    }

    /**
     * A whole message as one line: the last guard for input that reached it unquoted, such as a path in
     * an exception's text. Control characters are escaped as in of(), the rest is left as it is.
     */
    public static String line(String message) {
        String shown = message.length() <= MAX_LINE ? message : message.substring(0, MAX_LINE) + "...";
        if (!hasControl(shown)) return shown;
        StringBuilder b = new StringBuilder(shown.length() + 16);
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            if (control(c)) {
                String q = JsonWriter.quote(String.valueOf(c));
                b.append(q, 1, q.length() - 1);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) if (control(s.charAt(i))) return true;
        return false;
    }

    private static boolean control(char c) {
        return c < 0x20;
    }
}
