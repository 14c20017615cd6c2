package io.camelvan.router.config;

/** Secrets in the configuration may be written literally or as {@code ${env:NAME}}. */
public final class Secrets {

    private Secrets() {
    }

    public static String resolve(String value) {
        if (value != null && value.startsWith("${env:") && value.endsWith("}")) {
            String name = value.substring(6, value.length() - 1);
            String env = System.getenv(name);
            if (env == null) {
                throw new IllegalArgumentException("environment variable " + name + " is not set");
            }
            return env;
        }
        return value;
    }
}
