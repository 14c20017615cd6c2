package io.camelvan.router.config;

/**
 * A site configuration that cannot be used. The message names the file, the line where known,
 * the key and the reason, ready to be shown to an operator as is.
 */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
