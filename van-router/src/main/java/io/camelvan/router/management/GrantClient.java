package io.camelvan.router.management;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.camelvan.router.pki.AccessToken;
import io.camelvan.router.pki.Certificates;
import io.camelvan.router.pki.LinkCredentials;
import io.camelvan.router.pki.PeerTrustManager;
import io.camelvan.router.pki.PkiException;
import io.camelvan.router.pki.RevocationList;
import io.camelvan.router.pki.TlsContexts;

/**
 * The redeeming side of an access token: posts the token's code to the issuing site's
 * {@link GrantEndpoint} over TLS and returns the link credentials it answers with.
 *
 * <p>The server is trusted only if its certificate was issued by the CA carried in the (signed)
 * token; host names are not checked beyond that, as everywhere between routers. No client
 * certificate is presented: that is how the issuing router tells a redemption from a peer router.
 */
public final class GrantClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private GrantClient() {
    }

    /**
     * Redeems a token.
     *
     * @param redeemingSite the name of this site: the issuing site names the client certificate after it
     * @throws GrantException when the site cannot be reached, refuses the token, or answers with something else than a link file
     */
    public static LinkCredentials redeem(AccessToken token, String redeemingSite) {
        String site = "site " + token.site();
        HttpRequest request = HttpRequest.newBuilder(URI.create(token.url()))
                .timeout(ANSWER_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(Map.of("code", token.code(), "site", redeemingSite))))
                .build();
        HttpResponse<String> response;
        try {
            response = httpClient(token.caCertificates()).send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new GrantException(0, "cannot reach " + site + " at " + token.url() + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GrantException(0, "interrupted while waiting for " + site, e);
        }
        if (response.statusCode() != 200) {
            throw new GrantException(response.statusCode(), site + " refused the token: " + errorOf(response));
        }
        LinkCredentials credentials;
        try {
            credentials = LinkCredentials.parse(response.body(), "from " + token.url());
        } catch (PkiException e) {
            throw new GrantException(200, site + " answered with a bad link file: " + e.getMessage(), e);
        }
        // the link file of a site rotating its CA comes from the new CA and also carries the old one, the token's
        if (!credentials.cas().contains(token.caCertificate())) {
            throw new GrantException(200, site + " answered with a link file of another CA, "
                    + Certificates.describe(credentials.ca()) + ", than its token's, " + Certificates.describe(token.caCertificate()));
        }
        return credentials;
    }

    /** An HTTP/1.1 client (the router tells a redemption by its first bytes, {@code POST }) that trusts {@code cas} only. */
    static HttpClient httpClient(List<X509Certificate> cas) {
        SSLContext tls;
        try {
            tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {new PeerTrustManager(cas, RevocationList.inMemory())}, null);
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot set up TLS: " + e.getMessage(), e);
        }
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(TlsContexts.PROTOCOLS.toArray(String[]::new));
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(tls)
                .sslParameters(parameters)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    private static String describe(IOException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "connection refused (is its router running, and its inter-router port reachable from here?)";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host " + t.getMessage();
            }
            if (t instanceof HttpTimeoutException) {
                return "no answer within " + (t.getMessage() != null && t.getMessage().contains("connect")
                        ? CONNECT_TIMEOUT.toSeconds() : ANSWER_TIMEOUT.toSeconds()) + " seconds";
            }
            if (t instanceof SSLHandshakeException) {
                return "TLS handshake failed: " + t.getMessage();
            }
        }
        return failure.getMessage() != null ? failure.getMessage() : failure.toString();
    }

    private static String errorOf(HttpResponse<String> response) {
        try {
            String error = JSON.readTree(response.body()).path("error").textValue();
            if (error != null) {
                return error;
            }
        } catch (JsonProcessingException e) {
            // not our endpoint's answer: show what came
        }
        String body = response.body().strip();
        return "HTTP " + response.statusCode() + (body.isEmpty() ? "" : ": " + (body.length() > 200 ? body.substring(0, 200) + "..." : body));
    }

    private static String json(Map<String, String> body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serializes", e);
        }
    }

    /** A redemption that did not give link credentials; the message says why, ready for the operator. */
    public static final class GrantException extends RuntimeException {

        private static final long serialVersionUID = 1L;
        private final int status;

        GrantException(int status, String message) {
            super(message);
            this.status = status;
        }

        GrantException(int status, String message, Throwable cause) {
            super(message, cause);
            this.status = status;
        }

        /** The HTTP status the site answered with, or 0 when it could not be reached. */
        public int status() {
            return status;
        }
    }
}
