package io.camelvan.kamelets;

import org.apache.camel.CamelContext;
import org.apache.camel.support.PluginHelper;

/** Loads YAML DSL files (routes, Pipes) into a running CamelContext, as camel-main or Camel JBang would. */
final class Routes {

    private Routes() {
    }

    /** Loads a classpath: or file: resource. */
    static void load(CamelContext context, String location) throws Exception {
        PluginHelper.getRoutesLoader(context)
            .loadRoutes(PluginHelper.getResourceLoader(context).resolveResource(location));
    }
}
