import requests
ids = requests.get('https://hacker-news.firebaseio.com/v0/topstories.json').json()[:10]
for i in ids:
    print(requests.get(f'https://hacker-news.firebaseio.com/v0/item/{i}.json').json()['title'])
