// Every CloudflareAI namespace, once for the whole project: files never repeat using lines for our own namespaces.
global using CloudflareAI;
global using CloudflareAI.Aliases;
global using CloudflareAI.Chat;
global using CloudflareAI.Chat.Errors;
global using CloudflareAI.Chat.Requests;
global using CloudflareAI.Chat.Responses;
global using CloudflareAI.Chat.Retry;
global using CloudflareAI.Chat.Tools;
global using CloudflareAI.Cloudflare;
global using CloudflareAI.Embeddings;
global using CloudflareAI.Endpoints;
global using CloudflareAI.Environment;
global using CloudflareAI.Http;
global using CloudflareAI.Models;
global using CloudflareAI.Online;
global using CloudflareAI.Secrets;
global using CloudflareAI.Templates;
