package io.camelvan.router.pki;

/**
 * A failure of the site PKI (reading or writing certificates, keys, tokens, link files, grants,
 * revocations) with a message an operator can act on: it names the file and what is wrong.
 */
public class PkiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PkiException(String message) {
        super(message);
    }

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }
}
