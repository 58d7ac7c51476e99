package dev.septum.model.load;

import dev.septum.model.SourceLocation;

/** A YAML scalar's text and where it was written. */
record Scalar(String text, SourceLocation at) {
}
