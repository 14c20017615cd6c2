package io.camelvan.router.cli;
public class VanRouterCli { public static void main(String[] a) { System.out.println("hi"); } }
