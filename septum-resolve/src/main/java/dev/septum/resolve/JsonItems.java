package dev.septum.resolve;

import tools.jackson.databind.JsonNode;

/** Reads one text field of an answer's item by JSON Pointer, naming the item when it is not there. */
final class JsonItems {
    private JsonItems() {
    }

    static String text(JsonNode item, String pointer, String where) throws SourceFailure {
        JsonNode value = pointer.isEmpty() ? item : item.at(pointer);
        if (value.isMissingNode() || value.isNull()) {
            throw new SourceFailure(where + ": has no field " + pointer);
        }
        if (!value.isValueNode()) {
            throw new SourceFailure(where + ": field " + (pointer.isEmpty() ? "(the item)" : pointer)
                    + " is a list or an object, not a value");
        }
        return value.asString();
    }
}
