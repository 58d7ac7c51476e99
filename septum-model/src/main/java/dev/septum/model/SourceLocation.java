package dev.septum.model;

/**
 * Where a model object or field came from: a YAML file position, or an API field path when
 * {@code line} is 0. Every diagnostic carries one so a user can jump straight to the problem.
 */
public record SourceLocation(String source, int line, int column) {

    public static SourceLocation of(String path) {
        return new SourceLocation(path, 0, 0);
    }

    @Override
    public String toString() {
        return line == 0 ? source : source + ":" + line + ":" + column;
    }
}
