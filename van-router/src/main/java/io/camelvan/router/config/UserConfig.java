package io.camelvan.router.config;

/**
 * One entry of {@code users:}: a SASL PLAIN identity. The password may be written as
 * {@code ${env:NAME}} to take it from the environment; it is never logged.
 */
public record UserConfig(String name, String password) {

    @Override
    public String toString() {
        return "UserConfig[name=" + name + ", password=***]";
    }
}
