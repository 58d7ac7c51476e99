package dev.septum.model;

/** One element of a port list: a number, a range, or an EOS port name. */
public sealed interface PortItem {

    int low();

    int high();

    record Number(int port) implements PortItem {
        public int low() {
            return port;
        }

        public int high() {
            return port;
        }

        @Override
        public String toString() {
            return Integer.toString(port);
        }
    }

    record Range(int low, int high) implements PortItem {
        @Override
        public String toString() {
            return low + "-" + high;
        }
    }

    record Named(String name, int port) implements PortItem {
        public int low() {
            return port;
        }

        public int high() {
            return port;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
