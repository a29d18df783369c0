package io.capsa.engine;

import java.security.SecureRandom;

/** Names for containers created without --name, in Docker's adjective_surname form ("eager_hopper"). */
final class NameGenerator {
    private static final String[] ADJECTIVES = {"agile", "bold", "brave", "calm", "clever", "eager", "fervent", "gentle",
            "happy", "jolly", "keen", "kind", "lucid", "merry", "nimble", "quiet", "serene", "sharp", "swift", "tender",
            "vivid", "wise", "witty", "zealous"};
    private static final String[] SURNAMES = {"babbage", "curie", "dijkstra", "euler", "gauss", "hamilton", "hopper",
            "kepler", "knuth", "lamport", "lovelace", "meitner", "noether", "pascal", "ritchie", "shannon", "thompson",
            "torvalds", "turing", "wirth"};
    private static final SecureRandom RANDOM = new SecureRandom();

    private NameGenerator() {}

    /** A name; after the first attempt, with a number appended, as Docker does when a name is taken. */
    static String next(int attempt) {
        String name = ADJECTIVES[RANDOM.nextInt(ADJECTIVES.length)] + "_" + SURNAMES[RANDOM.nextInt(SURNAMES.length)];
        return attempt == 0 ? name : name + RANDOM.nextInt(10 * attempt);
    }
}
