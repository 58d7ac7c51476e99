package dev.septum.model;

/** A reference by name to another model object, remembering where it was written. */
public record Ref(String name, SourceLocation at) {
}
