package dev.septum.server.ui;

import io.javalin.http.Context;

/** What one page or form route does for a logged-in user. */
@FunctionalInterface
interface UiAction {
    void handle(Context ctx, Viewer viewer) throws Exception;
}
