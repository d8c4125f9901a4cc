global using CloudflareAI.Chat.Requests;
