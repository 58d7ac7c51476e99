package dev.septum.cli;

/** How a command prints: for people or for scripts. */
enum OutputFormat {
    text, json
}
