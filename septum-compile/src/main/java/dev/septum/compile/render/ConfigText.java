package dev.septum.compile.render;

/**
 * Builds config text line by line. Every piece of user text passes through {@link #line}, which
 * refuses anything that could end the line and start a new command: validation already rejects
 * such names, and this is the last guard should an unvalidated model ever reach a renderer.
 */
public final class ConfigText {
    private final StringBuilder text = new StringBuilder(4096);

    public ConfigText line(int indent, String content) {
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029) {
                throw new IllegalArgumentException("refusing to render a line with a control character: "
                        + content.replaceAll("\\p{Cntrl}", "?"));
            }
        }
        text.repeat(' ', indent).append(content).append('\n');
        return this;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
