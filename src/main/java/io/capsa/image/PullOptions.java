package io.capsa.image;

import io.capsa.image.registry.ProgressListener;

/**
 * How {@link Images#pull} pulls.
 *
 * @param platform the image to take from an index ({@link Platform#host()} for this machine's)
 * @param listener told of each blob as it is fetched or found in the store already
 */
public record PullOptions(Platform platform, ProgressListener listener) {
    public static PullOptions host() {
        return new PullOptions(Platform.host(), ProgressListener.NONE);
    }
}
