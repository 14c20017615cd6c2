package io.camelvan.examples.hybridorders;

/** A request the HTTP routes answer themselves with {@link #status()} and the message as a plain-text body. */
final class HttpStatusException extends RuntimeException {

    private final int status;

    HttpStatusException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
