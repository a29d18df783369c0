package io.capsa.engine.config;

/** Literal IPv4 and IPv6 addresses, checked without a name lookup (InetAddress.getByName would resolve a name). */
public final class IpAddresses {
    private IpAddresses() {}

    public static boolean valid(String s) {
        return s.indexOf(':') >= 0 ? ipv6(s) : ipv4(s);
    }

    static boolean ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || p.length() > 1 && p.charAt(0) == '0') return false;
            for (int i = 0; i < p.length(); i++) if (!Character.isDigit(p.charAt(i)) || p.charAt(i) > '9') return false;
            if (Integer.parseInt(p) > 255) return false;
        }
        return true;
    }

    /** Eight groups of up to four hex digits, one "::" for a run of zero groups, an IPv4 address as the last two. */
    static boolean ipv6(String s) {
        int zoneless = s.indexOf('%');
        if (zoneless >= 0) s = s.substring(0, zoneless);
        int compressed = s.indexOf("::");
        if (compressed >= 0 && s.indexOf("::", compressed + 1) >= 0) return false;
        String[] groups = s.replace("::", ":z:").split(":", -1);
        int count = 0;
        for (int i = 0; i < groups.length; i++) {
            String g = groups[i];
            if (g.equals("z")) continue;
            if (g.isEmpty()) {
                // only the ends next to "::" may be empty
                if (!(i == 0 && groups.length > 1 && groups[1].equals("z")) && !(i == groups.length - 1 && i > 0 && groups[i - 1].equals("z")))
                    return false;
                continue;
            }
            if (i == groups.length - 1 && g.contains(".")) {
                if (!ipv4(g)) return false;
                count += 2;
                continue;
            }
            if (g.length() > 4) return false;
            for (int j = 0; j < g.length(); j++) if (Character.digit(g.charAt(j), 16) < 0) return false;
            count++;
        }
        return compressed >= 0 ? count < 8 : count == 8;
    }
}
