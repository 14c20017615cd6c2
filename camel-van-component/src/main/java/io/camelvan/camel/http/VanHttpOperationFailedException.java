package io.camelvan.camel.http;

import java.util.Map;

import org.apache.camel.CamelException;

/** A {@code van:http} response with status 400 or more (unless {@code throwExceptionOnFailure=false}). */
public class VanHttpOperationFailedException extends CamelException {

    private static final long serialVersionUID = 1L;

    private final String uri;
    private final int statusCode;
    private final String statusText;
    private final transient Map<String, Object> responseHeaders;
    private final String responseBody;

    public VanHttpOperationFailedException(String uri, int statusCode, String statusText,
                                           Map<String, Object> responseHeaders, String responseBody) {
        super("HTTP operation failed invoking " + uri + " with statusCode: " + statusCode
            + (statusText == null || statusText.isEmpty() ? "" : " (" + statusText + ")"));
        this.uri = uri;
        this.statusCode = statusCode;
        this.statusText = statusText;
        this.responseHeaders = responseHeaders;
        this.responseBody = responseBody;
    }

    public String getUri() {
        return uri;
    }

    public int getStatusCode() {
        return statusCode;
    }

    public String getStatusText() {
        return statusText;
    }

    public Map<String, Object> getResponseHeaders() {
        return responseHeaders;
    }

    public String getResponseBody() {
        return responseBody;
    }
}
