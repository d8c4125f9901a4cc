global using CloudflareAI.Chat.Requests;
global using CloudflareAI.Chat.Responses;
