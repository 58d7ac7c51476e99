package dev.septum.cli;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Builds a command's picocli model in code: each command's {@code spec()} names its options here
 * and binds each to a field through a lambda. Picocli's annotations are not used: reading them made
 * the JDK parse them and generate a proxy class per annotation type at run time (which the AOT
 * cache cannot keep) and picocli walk every class by reflection: together 45-55 ms of a
 * compile's 200 ms CPU (bench/RESULTS.md, start-up, fifth and sixth steps).
 */
final class CommandModel {
    private CommandModel() {
    }

    /** A command named {@code name} running {@code command}, with {@code -h}/{@code -V} as picocli's standard help options. */
    static CommandSpec command(String name, Object command, String[] description, String... footer) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command).name(name);
        spec.usageMessage().description(description).footer(footer);
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true).description("Print version information and exit.").build());
        return spec;
    }

    /** An option of {@code type} whose value goes to {@code field}. */
    static <T> OptionSpec.Builder option(Class<T> type, Consumer<T> field, String... names) {
        Binding<T> binding = new Binding<>(field);
        return OptionSpec.builder(names).type(type).getter(binding).setter(binding);
    }

    /** An option that may be left out: {@code field} gets it when given. */
    static <T> OptionSpec.Builder optional(Class<T> type, Consumer<Optional<T>> field, String... names) {
        return option(type, value -> field.accept(Optional.of(value)), names);
    }

    /** A list of strings, given comma-separated or by repeating the option. */
    static OptionSpec.Builder commaList(Consumer<List<String>> field, String... names) {
        Binding<List<String>> binding = new Binding<>(field);
        return OptionSpec.builder(names).type(List.class).auxiliaryTypes(String.class).splitRegex(",").getter(binding).setter(binding);
    }

    /** A flag: {@code field} is set when it is given. */
    static OptionSpec.Builder flag(Consumer<Boolean> field, String... names) {
        return option(boolean.class, field, names);
    }

    /** The required positional parameter at {@code index}. */
    static <T> PositionalParamSpec.Builder positional(int index, Class<T> type, Consumer<T> field) {
        Binding<T> binding = new Binding<>(field);
        return PositionalParamSpec.builder().index(String.valueOf(index)).arity("1").required(true).type(type).getter(binding).setter(binding);
    }

    /**
     * Holds an argument's value for picocli (which reads it back, e.g. to add to a multi-value
     * option's list) and hands each value but picocli's initial null to the command's field.
     */
    private static final class Binding<T> implements IGetter, ISetter {
        private final Consumer<T> field;
        private Object value;

        Binding(Consumer<T> field) {
            this.field = field;
        }

        @SuppressWarnings("unchecked")
        @Override
        public <V> V get() {
            return (V) value;
        }

        @SuppressWarnings("unchecked")
        @Override
        public <V> V set(V newValue) {
            Object old = value;
            value = newValue;
            if (newValue != null) {
                field.accept((T) newValue);
            }
            return (V) old;
        }
    }
}
