package dev.septum.model;

/**
 * An object a policy file defines by name: an item of a top-level section, or a rule of a policy.
 * The writer and the in-place editor take any of them.
 */
public sealed interface PolicyObject permits SecurityDomain, Device, Group, Service, RedirectObject, MonitorObject,
        Policy, Rule {
    String name();

    SourceLocation at();
}
