package io.camelvan.router.config;

/** Defaults shared by the service sections. */
final class ServiceDefaults {

    /** Listeners listen, and connectors connect, on loopback unless told otherwise. */
    static final String HOST = "127.0.0.1";

    private ServiceDefaults() {
    }
}
