package io.capsa.network;

import io.capsa.spec.Quoted;

/** An IPv4 network written as CIDR ("10.89.0.0/24"); addresses are ints, as the kernel's /proc files give them. */
public record Subnet(int base, int prefix) {
    public Subnet {
        base &= mask(prefix);
    }

    /** "10.89.0.0/24"; an address with host bits set ("10.89.0.5/24") means its network, as docker reads it. */
    public static Subnet parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) throw new NetworkException("invalid subnet " + Quoted.of(cidr) + ": not in CIDR notation (address/prefix)");
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > 32) throw new NetworkException("invalid subnet " + Quoted.of(cidr) + ": bad prefix length");
        return new Subnet(address(cidr.substring(0, slash), "subnet " + Quoted.of(cidr)), prefix);
    }

    /** A dotted IPv4 address; what names it in an error. */
    public static int address(String text, String what) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) throw new NetworkException("invalid " + what + ": not an IPv4 address");
        int value = 0;
        for (String p : parts) {
            int octet = p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) ? -1 : Integer.parseInt(p);
            if (octet < 0 || octet > 255) throw new NetworkException("invalid " + what + ": not an IPv4 address");
            value = value << 8 | octet;
        }
        return value;
    }

    public static String format(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 255) + "." + (address >>> 8 & 255) + "." + (address & 255);
    }

    static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    public boolean contains(int address) {
        return (address & mask(prefix)) == base;
    }

    public boolean overlaps(Subnet other) {
        int common = Math.min(prefix, other.prefix);
        return (base & mask(common)) == (other.base & mask(common));
    }

    /** The n-th address from the base: host(1) is the usual gateway. */
    public int host(int n) {
        return base + n;
    }

    /** The last address before the broadcast one. */
    int lastHost() {
        return base + (int) ((1L << (32 - prefix)) - 2);
    }

    @Override
    public String toString() {
        return format(base) + "/" + prefix;
    }
}
