package io.capsa.engine;

import java.util.concurrent.ThreadLocalRandom;

/** Names for containers created without --name, in Docker's adjective_surname form ("eager_hopper"). */
final class NameGenerator {
    private static final String[] ADJECTIVES = {"agile", "bold", "brave", "calm", "clever", "eager", "fervent", "gentle",
            "happy", "jolly", "keen", "kind", "lucid", "merry", "nimble", "quiet", "serene", "sharp", "swift", "tender",
            "vivid", "wise", "witty", "zealous"};
    private static final String[] SURNAMES = {"babbage", "curie", "dijkstra", "euler", "gauss", "hamilton", "hopper",
            "kepler", "knuth", "lamport", "lovelace", "meitner", "noether", "pascal", "ritchie", "shannon", "thompson",
            "torvalds", "turing", "wirth"};
    private NameGenerator() {}

    /**
     * A name; after the first attempt, with a number appended, as Docker does when a name is taken. Not a secret:
     * no SecureRandom, whose set-up costs a run ~20 ms.
     */
    static String next(int attempt) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String name = ADJECTIVES[random.nextInt(ADJECTIVES.length)] + "_" + SURNAMES[random.nextInt(SURNAMES.length)];
        return attempt == 0 ? name : name + random.nextInt(10 * attempt);
    }
}
