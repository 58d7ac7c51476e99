package dev.septum.cli;

import picocli.CommandLine.IVersionProvider;

final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Version.class.getPackage().getImplementationVersion();
        return new String[] {"septum " + (version == null ? "development build" : version)
                + " (Java " + Runtime.version() + ")"};
    }
}
