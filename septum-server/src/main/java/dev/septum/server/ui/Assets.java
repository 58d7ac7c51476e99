package dev.septum.server.ui;

/** Where each browser library is served from, out of the WebJars in the jar. */
public record Assets(String htmx, String echarts, String sortable, String swaggerUi) {
}
