// Placeholder: the emulator is built in its own change.
System.Console.WriteLine("CloudflareAI test server placeholder");
