package io.capsa.network;

/** A network operation that cannot be done, said in one line (a bad subnet, a taken name, a port in use). */
public final class NetworkException extends RuntimeException {
    public NetworkException(String message) {
        super(message);
    }

    public NetworkException(String message, Throwable cause) {
        super(message, cause);
    }
}
