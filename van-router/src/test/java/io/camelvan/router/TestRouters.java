package io.camelvan.router;

import io.camelvan.router.config.ConfigLoader;

/** Starts routers for tests from YAML text, on free ports. */
public final class TestRouters {

    private TestRouters() {
    }

    /** A router with one normal listener 'amqp' on a free loopback port, plus the given YAML. */
    public static Router start(String site, String extraYaml) {
        String yaml = "site: " + site + "\n"
            + "listeners:\n  - {name: amqp, host: 127.0.0.1, port: 0}\n"
            + "admin: {host: 127.0.0.1, port: 0}\n"
            + extraYaml;
        return Router.start(ConfigLoader.parse(yaml, null));
    }

    /** A router from a whole site YAML. */
    public static Router fromYaml(String yaml) {
        return Router.start(ConfigLoader.parse(yaml, null));
    }

    public static String amqpUrl(Router router) {
        return "amqp://127.0.0.1:" + router.port("amqp");
    }
}
