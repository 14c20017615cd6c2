package io.camelvan.router.cli;

/**
 * A command that cannot do what was asked because of what it was asked (a site that exists, a
 * name that is taken, a site without inter-router listener): exit code 2, one line, no usage help.
 */
final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
