package io.camelvan.examples.hybridorders;

/** Something the demo waited for did not happen; the demo prints the message and exits 1. */
final class DemoFailure extends RuntimeException {

    DemoFailure(String message) {
        super(message);
    }
}
