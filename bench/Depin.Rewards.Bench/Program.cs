Console.WriteLine("bench: todo");
