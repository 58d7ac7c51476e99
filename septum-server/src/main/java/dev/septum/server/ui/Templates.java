package dev.septum.server.ui;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The pages' templates, compiled to Java classes at build time by the jte Maven plugin (so the
 * server needs no template compiler and a template error is a build error), and the versions of
 * the WebJars they load, as the POM set them.
 */
final class Templates {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(null, ContentType.Html, Templates.class.getClassLoader(),
            "dev.septum.server.ui");
    private final Assets assets;

    Templates() {
        Properties versions = new Properties();
        try (InputStream in = Templates.class.getResourceAsStream("/ui/webjars.properties")) {
            versions.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ui/webjars.properties from the jar", e);
        }
        this.assets = new Assets("/webjars/htmx.org/" + versions.getProperty("htmx") + "/dist/htmx.min.js",
                "/webjars/echarts/" + versions.getProperty("echarts") + "/dist/echarts.min.js",
                "/webjars/sortablejs/" + versions.getProperty("sortablejs") + "/Sortable.min.js",
                "/webjars/swagger-ui/" + versions.getProperty("swagger-ui"));
    }

    Assets assets() {
        return assets;
    }

    /** Renders {@code template} (a path under src/main/jte) with its one parameter, {@code page}. */
    String render(String template, Object page) {
        StringOutput out = new StringOutput();
        engine.render(template, page, out);
        return out.toString();
    }
}
