"""A tool."""

def main():
    print('hi'

main()
