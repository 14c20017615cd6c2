package io.camelvan.router.cli;

import picocli.CommandLine.IVersionProvider;

/** The version recorded in the jar's manifest at build time. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = VanRouterCli.class.getPackage().getImplementationVersion();
        return new String[] {"van-router " + (version == null ? "(development build)" : version),
            "Java " + System.getProperty("java.version")};
    }
}
