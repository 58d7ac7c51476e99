package dev.septum.cli;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;

/**
 * Creates what picocli asks for by class (mixins, converters, the version provider): through the
 * class's no-argument constructor, made accessible, as picocli's own factory ends up doing. Its own
 * first tries {@code Class.newInstance}, which throws for every package-private class of this
 * package; on each call those exceptions, stack traces filled in by the interpreter, were part of
 * start-up (bench/RESULTS.md, start-up, fifth step). Interfaces (a multi-value option's
 * collection) are left to picocli's factory.
 */
final class CommandFactory implements IFactory {
    private final IFactory collections = CommandLine.defaultFactory();

    @Override
    public <K> K create(Class<K> type) throws Exception {
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            return collections.create(type);
        }
        Constructor<K> constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        return constructor.newInstance();
    }
}
