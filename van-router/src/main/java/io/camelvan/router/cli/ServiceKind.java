package io.camelvan.router.cli;

import java.util.List;

import io.camelvan.router.config.ServiceType;
import picocli.CommandLine.Model.CommandSpec;

/** Whether a {@code create}, {@code delete} or {@code list} runs under {@code listener} or {@code connector}. */
final class ServiceKind {

    private ServiceKind() {
    }

    /** True under {@code listener}, false under {@code connector}. */
    static boolean isListener(CommandSpec spec) {
        return spec.parent().userObject() instanceof ListenerCommand;
    }

    /** "listener" or "connector". */
    static String noun(CommandSpec spec) {
        return isListener(spec) ? "listener" : "connector";
    }

    /** The service type of {@code --type} under this parent. */
    static ServiceType type(CommandSpec spec, String protocol) {
        try {
            return ServiceType.of(protocol, isListener(spec));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--type: " + e.getMessage());
        }
    }

    /** The types {@code list} shows: the one asked for, or both. */
    static List<ServiceType> types(CommandSpec spec, String protocol) {
        if (protocol != null) {
            return List.of(type(spec, protocol));
        }
        return List.of(ServiceType.of("tcp", isListener(spec)), ServiceType.of("http", isListener(spec)));
    }
}
