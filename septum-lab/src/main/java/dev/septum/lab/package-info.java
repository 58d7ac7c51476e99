package dev.septum.lab;
