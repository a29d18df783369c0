package io.capsa.engine;

import io.capsa.engine.config.RestartPolicy;

/** --restart as Docker applies it when a container exits. */
final class RestartDecision {
    /** Docker's back-off: 100 ms, doubled for each restart, at most a minute. */
    private static final long FIRST_DELAY_MILLIS = 100, MAX_DELAY_MILLIS = 60_000;

    private RestartDecision() {}

    /** Whether an exited container is started again: never after a user stopped it. */
    static boolean restarts(RestartPolicy policy, RunState exited) {
        if (policy == null || exited.stoppedByUser()) return false;
        return switch (policy.name()) {
            case "always", "unless-stopped" -> true;
            case "on-failure" -> exited.exitCode() != 0
                    && (policy.maximumRetryCount() == 0 || exited.restartCount() < policy.maximumRetryCount());
            default -> false;
        };
    }

    static long delayMillis(int restartCount) {
        return Math.min(MAX_DELAY_MILLIS, FIRST_DELAY_MILLIS << Math.min(restartCount, 20));
    }
}
