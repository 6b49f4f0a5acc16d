#!/usr/bin/env ruby
# frozen_string_literal: true

require 'open3'

SSH_DIR = File.join(Dir.home, '.ssh')

class KeyReport
  attr_reader :path, :issues

  def initialize(path)
    @path = path
    @issues = []
  end

  def name = File.basename(path)

  def private_key?
    head.start_with?('-----BEGIN') && head.include?('PRIVATE KEY')
  end

  # Only the header lines are needed to tell whether the key is encrypted.
  def head
    @head ||= File.open(path, 'r') { |f| f.read(600) }.to_s
  rescue SystemCallError
    ''
  end

  def encrypted?
    return true if head.include?('ENCRYPTED') || head.include?('Proc-Type: 4,ENCRYPTED')
    return false unless head.include?('OPENSSH PRIVATE KEY')

    # new-format keys: ssh-keygen -y with an empty passphrase fails if a passphrase is set
    _out, _err, st = Open3.capture3('ssh-keygen', '-y', '-P', '', '-f', path)
    !st.success?
  end

  def fingerprint
    out, st = Open3.capture2('ssh-keygen', '-l', '-f', path)
    return nil unless st.success?

    bits, fp, *_rest, type = out.split
    { bits: bits.to_i, fp: fp, type: type.delete('()') }
  end

  def audit!
    mode = File.stat(path).mode & 0o777
    issues << format('mode %o (want 600)', mode) if mode & 0o077 != 0
    issues << 'no passphrase' unless encrypted?
    if (info = fingerprint)
      issues << 'DSA is obsolete' if info[:type] == 'DSA'
      issues << "RSA #{info[:bits]} < 3072" if info[:type] == 'RSA' && info[:bits] < 3072
      @info = info
    end
    self
  end

  def row
    info = @info || {}
    format('%-22s %-8s %-6s %-50s %s', name, info[:type], info[:bits], info[:fp],
           issues.empty? ? 'ok' : issues.join('; '))
  end
end

abort "no #{SSH_DIR}" unless Dir.exist?(SSH_DIR)
loaded, = Open3.capture2('ssh-add', '-l')

reports = Dir.children(SSH_DIR).sort.map { |n| File.join(SSH_DIR, n) }
             .select { |p| File.file?(p) && !p.end_with?('.pub') }
             .map { |p| KeyReport.new(p) }
             .select(&:private_key?)
             .map(&:audit!)

puts format('%-22s %-8s %-6s %-50s %s', 'KEY', 'TYPE', 'BITS', 'FINGERPRINT', 'ISSUES')
reports.each do |r|
  puts r.row
  fp = r.instance_variable_get(:@info)&.dig(:fp)
  puts "#{' ' * 24}(not loaded in ssh-agent)" if fp && !loaded.include?(fp)
end
puts 'no private keys found' if reports.empty?
