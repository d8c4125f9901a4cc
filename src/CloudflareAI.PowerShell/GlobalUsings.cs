// Every namespace of the module, so that no file needs a using line for our own code.
global using CloudflareAI;
global using CloudflareAI.Aliases;
global using CloudflareAI.Chat;
global using CloudflareAI.Chat.Errors;
global using CloudflareAI.Cloudflare;
global using CloudflareAI.Commands;
global using CloudflareAI.Environment;
global using CloudflareAI.Http;
global using CloudflareAI.Models;
global using CloudflareAI.Online;
global using CloudflareAI.PowerShell;
global using CloudflareAI.Templates;
