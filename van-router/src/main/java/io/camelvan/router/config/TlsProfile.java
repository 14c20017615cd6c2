package io.camelvan.router.config;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A named set of PEM files under {@code tls:}. Paths are relative to the configuration file.
 *
 * @param cert this side's certificate
 * @param key its private key (PKCS#8 PEM)
 * @param ca the CA certificates trusted for peers; when set on a listener, clients must present a certificate
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TlsProfile(String cert, String key, String ca) {
}
