package io.camelvan.router.management;

/** A management request that fails, with the status code and text its reply carries. */
public class ManagementException extends RuntimeException {

    private final int status;

    public ManagementException(int status, String description) {
        super(description);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ManagementException notFound(String what) {
        return new ManagementException(404, what + " not found");
    }

    public static ManagementException badRequest(String why) {
        return new ManagementException(400, why);
    }

    public static ManagementException conflict(String why) {
        return new ManagementException(409, why);
    }
}
