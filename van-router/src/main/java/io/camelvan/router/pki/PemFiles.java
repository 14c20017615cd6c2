package io.camelvan.router.pki;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The three PEM files of a TLS profile of the site configuration
 * ({@code tls: {site: {cert: certs/site.crt, key: certs/site.key, ca: certs/ca.crt}}}).
 *
 * @param cert this side's certificate, optionally followed by its chain
 * @param key  this side's private key
 * @param ca   the CA certificate(s) peers must be signed by; several during a CA rotation; null when
 *             peers are not asked for a certificate (a TLS-only normal listener)
 */
public record PemFiles(Path cert, Path key, Path ca) {

    public PemFiles {
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(key, "key");
    }

    /** The same files resolved against a directory (the site folder) when they are relative. */
    public PemFiles resolveAgainst(Path dir) {
        return new PemFiles(dir.resolve(cert), dir.resolve(key), ca == null ? null : dir.resolve(ca));
    }
}
